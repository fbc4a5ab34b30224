//! The Sign-In stand-in as a program, for the window's tests (Node drives
//! those): `sign-in-stand-in MOTO_URL MINTER_KEY_ID MINTER_SECRET USER...`.
//! It prints `url http://127.0.0.1:PORT` and serves until it is killed.
//! The minter's secret is a moto test key, never a real one.

use wizard_tests::sign_in::SignInStandIn;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [moto_url, key_id, secret, users @ ..] = args.as_slice() else {
        eprintln!("usage: sign-in-stand-in MOTO_URL MINTER_KEY_ID MINTER_SECRET USER...");
        std::process::exit(2);
    };
    let stand_in = SignInStandIn::start(moto_url, (key_id, secret));
    let users: Vec<&str> = users.iter().map(String::as_str).collect();
    stand_in.sign_in_as(&users);
    println!("url {}", stand_in.url);
    loop {
        std::thread::park();
    }
}
