"""Writers' and reviewers' tools: `new`/`init` scaffolding, the review packet."""
