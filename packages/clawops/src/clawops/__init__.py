"""ClawOps Voice API SDK."""
