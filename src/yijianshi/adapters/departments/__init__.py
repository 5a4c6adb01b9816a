"""Department gateways: how cases reach department systems, and how their answers come back."""
