# No table is named in this file, so a bare mode or model here is an ordinary word.
mode = "production"
model = None
