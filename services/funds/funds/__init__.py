"""funds — fund oversight (资金监管): measures 4, 6, 13 and 14 of the 连心惠民 plan."""
