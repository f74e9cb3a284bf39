#!/bin/sh
# A Ray head whose dashboard (which can submit jobs) listens on every interface, with no token authentication.
ray start --head --port=6379 --dashboard-host=0.0.0.0 --dashboard-port=8265
