"""The funds domain: programmes, beneficiaries, red flags, village 三资 and disclosures."""
