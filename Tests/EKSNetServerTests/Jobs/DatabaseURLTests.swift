import Testing

@testable import EKSNetServer

@Suite struct DatabaseURLTests {
    @Test func parsesWhatRDSAndAuroraGiveAndNeverShowsThePassword() throws {
        let url = try DatabaseURL(parsing: "postgres://eksnet:s%40cret@db.cluster-x.us-east-1.rds.amazonaws.com/jobs?sslmode=require\n")
        #expect(url.host == "db.cluster-x.us-east-1.rds.amazonaws.com" && url.port == 5432 && url.database == "jobs")
        #expect(url.password == "s@cret" && url.tls == .require)
        #expect(url.description == "postgres://eksnet:***@db.cluster-x.us-east-1.rds.amazonaws.com:5432/jobs?sslmode=require")
        #expect(try DatabaseURL(parsing: "postgresql://u@h:6432").database == "u")
        #expect(try DatabaseURL(parsing: "postgres://u@h/d?sslmode=verify-full").tls == .verifyFull)
    }

    @Test(arguments: ["mysql://u:p@h/d", "postgres://:p@h/d", "postgres://u:p@/d", "postgres://u:hunter2@h/d?sslmode=sometimes", "hunter2"])
    func refusesWithoutRepeatingThePassword(text: String) {
        do {
            _ = try DatabaseURL(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(!error.description.contains("hunter2") && !error.description.contains(":p@"))
        }
    }
}
