"""Tamper evidence for the event stores (防篡改核查): hash chains checked where the truth lives,
checkpoints of the stream heads (RFC 6962 Merkle roots), and reconciliation of each store with
its Kafka topic and with the projection. `contracts/hash-spec.md` specifies the bytes."""
