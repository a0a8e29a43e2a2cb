return {
  scenario = "function-elsewhere",
  actors = { main = function() end },
  steps = { function() end },
}
