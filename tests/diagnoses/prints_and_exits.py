print("到站了")
