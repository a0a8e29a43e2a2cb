local socket = require("socket.core")
return {}
