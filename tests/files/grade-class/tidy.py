with open("answer.txt", "w") as f:
    print(42, file=f)
