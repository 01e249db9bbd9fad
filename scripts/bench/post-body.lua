-- wrk script: POST the JSON file named by BODY_FILE (with a Prefer header when PREFER is set).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local prefer = os.getenv("PREFER")
if prefer and prefer ~= "" then wrk.headers["Prefer"] = prefer end
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.body = file:read("*a")
file:close()
