"""IRO performance explorer: loading, checking and working out every figure (no Streamlit here)."""

import os

# Polars allocates through jemalloc and sets it to return freed pages after 0.5 s, but first only
# as "muzzy" pages (MADV_FREE), which count as resident for a further second and until the kernel
# wants them back. A page's work frees hundreds of megabytes in bursts, so the national server
# held 150-200 MB it no longer used. Returned at once after 0.3 s instead, its peak fell from
# 1,261 MB to 1,096 MB at the same speed (docs/performance.md, "seventh session"). Polars reads
# this (after its own defaults) when first imported, so it is set here, before any module imports
# Polars; a deployment may set its own.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:300,muzzy_decay_ms:0")
