"""The pages of residents' concerns: the register (register.py), intake and a concern's page
with its actions (concern.py), the duty officer's list and the roster (duty.py)."""
