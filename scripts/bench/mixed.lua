-- wrk script: a mix of eksnet's routes, round robin per connection.
local function read(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

local capacity = read("scripts/bench/capacity-3-groups.json")
local plan = read("examples/cloudformation-2az.json")
local tags = '{"clusterName":"prod-a","region":"us-east-1","subnets":[{"subnetId":"subnet-1","availabilityZone":"us-east-1a","cidrBlock":"10.0.0.0/24","defaultRoute":"igw"},{"subnetId":"subnet-2","availabilityZone":"us-east-1a","cidrBlock":"10.0.32.0/19","defaultRoute":"nat"}]}'
local json = { ["Content-Type"] = "application/json" }
local waitJSON = { ["Content-Type"] = "application/json", ["Prefer"] = "wait=5" }

local requests = {
  wrk.format("GET", "/healthz"),
  wrk.format("GET", "/v1/instance-types/m5.large"),
  wrk.format("GET", "/v1/instance-types/m5.large/max-pods?prefixDelegation=true"),
  wrk.format("GET", "/v1/instance-types/t3.small/ip-pool?pods=5"),
  wrk.format("GET", "/v1/instance-types?family=m5&limit=20"),
  wrk.format("POST", "/v1/capacity", json, capacity),
  wrk.format("POST", "/v1/subnet-tags", json, tags),
  wrk.format("POST", "/v1/plans", waitJSON, plan),
  wrk.format("GET", "/v1/instance-types/m5.larg"),
}
local index = 0

request = function()
  index = index % #requests + 1
  return requests[index]
end
