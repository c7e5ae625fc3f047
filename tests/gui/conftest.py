import pytest

from gui import settings


@pytest.fixture(autouse=True)
def _gui_settings_in_tmp(tmp_path_factory):
    """No GUI test touches the user's real settings or recovery folder."""
    settings.use_folder(tmp_path_factory.mktemp("settings"))
    yield
    settings.use_folder(None)
