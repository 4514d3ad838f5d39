"""Qt-free device layer: camera frame sources, QR decoders, stability filter, wedge parser.

Submodules are imported explicitly by callers; nothing heavy (cv2, zbar) is imported here, so
importing one submodule loads only what it needs.
"""
