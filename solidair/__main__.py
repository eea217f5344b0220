from solidair.cli import main

main()
