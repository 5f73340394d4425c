"""The Qt-free core: corpus, vocabulary, models, training and generation."""
