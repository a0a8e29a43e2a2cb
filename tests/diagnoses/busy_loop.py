# Never blocks: a timeout finds it running.
while True:
    pass
