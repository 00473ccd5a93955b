"""Constants shared by the SDK tests and their fixtures (in conftest.py)."""

SIGNING_KEY = "whsec_sdk_tests"
OTHER_ACCOUNT = "AC_other_account_id"
RESTRICTED_KEY = "sk_test_restricted_to_other"
