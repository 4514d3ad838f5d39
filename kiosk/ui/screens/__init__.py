"""One module per screen. Screens show state and emit intents; the window wires them."""
