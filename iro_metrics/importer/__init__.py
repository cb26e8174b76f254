"""Bring your own data: import SSDA903 returns and local IRO records into a dataset.

``run_import(paths, out_dir, today=None, strict=False) -> ImportReport`` is the command line's entry point
(files, folders and zips; CSV, XML and Excel);
``import_uploads(uploads, dataset_name)`` is the app's. Both read, check, build and write the
dataset atomically, and always return a report (never raise on bad input). See docs/import.md.
"""

from iro_metrics.importer.export import EXPORT_FILE_NAMES, export_903, template_csv, templates_zip, write_templates
from iro_metrics.importer.file_specs import ColumnSpec, FileSpec
from iro_metrics.importer.formats import FILE_SPECS, IGNORED_903_FILES, SSDA903_FILES, TEMPLATES
from iro_metrics.importer.readers import MAX_FILE_BYTES, MAX_FILE_MB
from iro_metrics.importer.report import RULES, FileSummary, ImportProblem, ImportReport
from iro_metrics.importer.run import dataset_name_problem, import_sources, import_uploads, run_import
from iro_metrics.importer.sandbox import run_limited

__all__ = [
    "EXPORT_FILE_NAMES",
    "FILE_SPECS",
    "IGNORED_903_FILES",
    "MAX_FILE_BYTES",
    "MAX_FILE_MB",
    "RULES",
    "SSDA903_FILES",
    "TEMPLATES",
    "ColumnSpec",
    "FileSpec",
    "FileSummary",
    "ImportProblem",
    "ImportReport",
    "dataset_name_problem",
    "export_903",
    "import_sources",
    "import_uploads",
    "run_import",
    "run_limited",
    "template_csv",
    "templates_zip",
    "write_templates",
]
