fn main() {
    std::process::exit(govscript::cli::main());
}
