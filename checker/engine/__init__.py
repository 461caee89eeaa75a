"""Rule evaluation: durable-rules behind a small adapter, plus a pure-Python reference evaluator."""
