from regie.cli import main

main()
