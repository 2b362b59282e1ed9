from tests.records.test_decisions_records import *
from vru_governance.records.importer import RecordsError

def test_dbg(db):
    document = with_reservations()
    import_records(older(document), base_dir=DEMO_FILE.parent)
    try:
        import_records(document, base_dir=DEMO_FILE.parent)
    except RecordsError as e:
        print(e.errors)
