from tools.agency_simulator.simulator import main

main()
