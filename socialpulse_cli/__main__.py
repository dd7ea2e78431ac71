from socialpulse_cli.main import main

main()
