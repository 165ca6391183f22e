"""The simulated Red Hat Customer Portal: support cases (Hydra and the newer support API) and the
customer-page store."""
