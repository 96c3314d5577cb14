from tests.registrations.conftest import campaign, users  # noqa: F401
from tests.reports.conftest import accepted, media  # noqa: F401
