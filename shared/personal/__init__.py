"""Personal data (个人信息) under the Personal Information Protection Law: crypto-shredding.

- `secret`: the deployment's secret, from which a person's keyed reference (`person_ref`, an
  HMAC of the resident ID number) and the key-transport key are derived.
- `tokens`: a personal field's value encrypted with its person's key (AES-256-GCM), written in
  place of the plain value; the hash chain covers the token.
- `declared`: which fields of which event are whose (declared beside the events), and the walks
  that protect a payload on write and reveal any value on read.
- `keys`: the key table in each service's schema; erasing a person deletes their keys.
- `sharing`: the compacted key topic by which readers (funds, the projection) get copies.
- `erasure`: `person.ErasureRequested` and every service's reaction to it.
- `access_log`: who saw which person's data unmasked, in a hash-chained, append-only table.
"""
