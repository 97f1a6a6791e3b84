"""torch counterparts of op-table entries that are more than one torch call.

Each function takes the operands positionally and the options as keywords (already
renamed), exactly as the op table lists them, and returns what torch computes. Keep
these thin: the math must be torch's own, so that the fixtures are an independent
reference for the Swift implementation.
"""
import torch
