"""Arguments in, library calls, located messages and an exit code out; one module per group of
commands, each with `register(commands)`.
"""
