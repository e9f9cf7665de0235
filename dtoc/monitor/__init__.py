"""Monitor: a financial year's actual delays per HWB and month against the expectations and the glide path."""
