import shutil
import tempfile
from pathlib import Path

from tests.documents.test_frozen_papers import FrozenPaperTests as Base
from tests.records.test_backup import wipe
from vru_governance.records.backup import backup, restore
from vru_governance.records.importer import RecordsError


class T(Base):
    def test_dbg(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="vru-backup-"))
        self.addCleanup(shutil.rmtree, folder, True)
        backup(folder)
        wipe(self)
        try:
            restore(folder)
        except RecordsError as exc:
            print("ERRORS", exc.errors)
