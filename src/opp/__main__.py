from opp.cli import main

main()
