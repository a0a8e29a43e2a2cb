return {
  scenario = "no-start",
  actors = { first = function() end, second = function() end },
}
