"""The import-format declaration: every declared format has its module's parts and is offered everywhere."""

from analytics.cli import build_parser
from analytics.import_formats import FILE_TYPES, FORMATS
from ui.imports import FORMAT_LABELS


def test_every_format_module_has_its_parts_and_its_origin():
    for f in FORMATS.values():
        assert callable(f.module.stage) and callable(f.module.looks_like), f.name
        assert f.module.ORIGIN == f.name  # the records' origin is the name the CLI and the form use
        assert set(f.file_types) <= set(FILE_TYPES)


def test_the_cli_and_the_upload_form_offer_every_format():
    parser = build_parser()
    for name in FORMATS:
        assert parser.parse_args(["import", name, "x.csv"]).format == name
    assert list(FORMAT_LABELS) == list(FORMATS)
