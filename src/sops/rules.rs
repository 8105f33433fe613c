//! `.sops.yaml` creation rules (spec §14).
