"""Review units in, their fingerprints and states out; approving, the approved wording kept,
the governance log.
"""
