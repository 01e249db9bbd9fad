import EKSNetCore

/// A finished job drawn: a plan's or an audit's address map (or report page), a simulation's timeline. The stored
/// input and result are decoded for it; what each kind draws is its definition's (`JobKindDefinition.picture`).
enum JobPictures {
    static func render(_ job: Job, as format: PictureFormat, aws: AWSData) throws -> String {
        guard job.status == .succeeded, let result = job.result else {
            throw PictureFormat.notAcceptable(
                "The \(job.kind.rawValue) job is \(job.status.rawValue): its picture is drawn once it has succeeded; ask for application/json meanwhile.")
        }
        let key = PictureCache.Key(jobId: job.id, format: format, catalogVersion: aws.catalog.version)
        return try PictureCache.shared.picture(for: key) { try draw(job, result: result, as: format, aws: aws) }
    }

    private static func draw(_ job: Job, result: EncodedJSON, as format: PictureFormat, aws: AWSData) throws -> String {
        guard let picture = try job.kind.definition.draw(job, result: result, format: format, aws: aws) else {
            throw PictureFormat.notAcceptable("\(job.kind.rawValue) jobs are answered as application/json only.")
        }
        return picture
    }
}
