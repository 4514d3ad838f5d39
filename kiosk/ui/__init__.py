"""The touchscreen: Qt Widgets screens that show state and forward intents to services."""
