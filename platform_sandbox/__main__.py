"""``python -m platform_sandbox --port 8765 --seed 7 --speed 60``"""

from socialpulse.cli import main

if __name__ == "__main__":
    main(["sandbox", "serve", *__import__("sys").argv[1:]])
