"""Receipts: laid out as plain lines first (pure), rendered to ESC/POS or to an on-screen preview."""
