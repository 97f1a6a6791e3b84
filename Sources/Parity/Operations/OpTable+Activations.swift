import Autograd

extension OpTable {
    static let activations: [Op] = []
}
