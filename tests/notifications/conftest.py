from tests.coverage.test_coverage import example  # noqa: F401  (fixture)
from tests.registrations.conftest import campaign, users  # noqa: F401  (fixtures)
from tests.reports.conftest import accepted  # noqa: F401  (fixture)
