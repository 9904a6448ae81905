"""The party service (党组织和党员管理): branches, members, points, training, branch
assessment and cadre adjustment — measures 5, 8, 9 and 10 of the plan."""
