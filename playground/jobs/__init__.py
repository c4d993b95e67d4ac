"""What every long job (a video, a batch) shares: how it is followed on its endpoint."""
