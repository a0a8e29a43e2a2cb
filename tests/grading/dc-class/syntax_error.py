import os
print("hello"
