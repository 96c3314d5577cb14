from tests.registrations.conftest import campaign, users  # noqa: F401  (fixtures)
