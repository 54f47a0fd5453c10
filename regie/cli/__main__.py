from regie.cli.app import main

main()
